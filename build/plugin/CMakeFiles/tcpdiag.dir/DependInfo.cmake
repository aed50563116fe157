
# Consider dependencies only in project.
set(CMAKE_DEPENDS_IN_PROJECT_ONLY OFF)

# The set of languages for which implicit dependencies are needed:
set(CMAKE_DEPENDS_LANGUAGES
  )

# The set of dependency files which are needed:
set(CMAKE_DEPENDS_DEPENDENCY_FILES
  "/work/main/plugin/extract.c" "plugin/CMakeFiles/tcpdiag.dir/extract.c.o" "gcc" "plugin/CMakeFiles/tcpdiag.dir/extract.c.o.d"
  "/work/main/plugin/plugin.c" "plugin/CMakeFiles/tcpdiag.dir/plugin.c.o" "gcc" "plugin/CMakeFiles/tcpdiag.dir/plugin.c.o.d"
  "/work/main/plugin/render.c" "plugin/CMakeFiles/tcpdiag.dir/render.c.o" "gcc" "plugin/CMakeFiles/tcpdiag.dir/render.c.o.d"
  "/work/main/plugin/report_conn.c" "plugin/CMakeFiles/tcpdiag.dir/report_conn.c.o" "gcc" "plugin/CMakeFiles/tcpdiag.dir/report_conn.c.o.d"
  "/work/main/plugin/tcpdiag.c" "plugin/CMakeFiles/tcpdiag.dir/tcpdiag.c.o" "gcc" "plugin/CMakeFiles/tcpdiag.dir/tcpdiag.c.o.d"
  )

# Targets to which this target links.
set(CMAKE_TARGET_LINKED_INFO_FILES
  "/work/main/build/CMakeFiles/tcpdiag_core.dir/DependInfo.cmake"
  )

# Fortran module output directory.
set(CMAKE_Fortran_TARGET_MODULE_DIR "")
