# Warning flags for every target of ours: the build must stay warning-free.
function(tcpdiag_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wshadow -Wpointer-arith
                         -Wstrict-prototypes -Wmissing-prototypes -Wformat=2
                         # A pointer of the wrong type handed to Wireshark (gboolean *
                         # for bool *) is a memory bug, never a warning.
                         -Werror=incompatible-pointer-types)
  if(TCPDIAG_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
option(TCPDIAG_WERROR "Treat warnings as errors" OFF)
