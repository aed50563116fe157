file(REMOVE_RECURSE
  "libtcpdiag_core.a"
)
