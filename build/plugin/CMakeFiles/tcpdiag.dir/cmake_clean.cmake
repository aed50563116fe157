file(REMOVE_RECURSE
  "../plugins/4.0/epan/tcpdiag.pdb"
  "../plugins/4.0/epan/tcpdiag.so"
  "CMakeFiles/tcpdiag.dir/extract.c.o"
  "CMakeFiles/tcpdiag.dir/extract.c.o.d"
  "CMakeFiles/tcpdiag.dir/plugin.c.o"
  "CMakeFiles/tcpdiag.dir/plugin.c.o.d"
  "CMakeFiles/tcpdiag.dir/render.c.o"
  "CMakeFiles/tcpdiag.dir/render.c.o.d"
  "CMakeFiles/tcpdiag.dir/report_conn.c.o"
  "CMakeFiles/tcpdiag.dir/report_conn.c.o.d"
  "CMakeFiles/tcpdiag.dir/tcpdiag.c.o"
  "CMakeFiles/tcpdiag.dir/tcpdiag.c.o.d"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/tcpdiag.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
