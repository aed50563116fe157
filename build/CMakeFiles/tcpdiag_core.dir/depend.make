# Empty dependencies file for tcpdiag_core.
# This may be replaced when dependencies are built.
