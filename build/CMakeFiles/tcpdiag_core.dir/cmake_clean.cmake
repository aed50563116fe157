file(REMOVE_RECURSE
  "CMakeFiles/tcpdiag_core.dir/plugin/conn_state.c.o"
  "CMakeFiles/tcpdiag_core.dir/plugin/conn_state.c.o.d"
  "CMakeFiles/tcpdiag_core.dir/plugin/diagnosis.c.o"
  "CMakeFiles/tcpdiag_core.dir/plugin/diagnosis.c.o.d"
  "libtcpdiag_core.a"
  "libtcpdiag_core.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/tcpdiag_core.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
