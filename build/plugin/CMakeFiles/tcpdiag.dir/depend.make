# Empty dependencies file for tcpdiag.
# This may be replaced when dependencies are built.
