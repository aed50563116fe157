# -DTCPDIAG_SANITIZE=ON: AddressSanitizer + UndefinedBehaviorSanitizer for
# everything we build. A plugin built this way must be loaded into tshark
# with the ASan runtime preloaded (see tests/fuzz/README or tests).
if(TCPDIAG_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
