# sources.cmake — the one list of tcpdiag's sources, used by the plugin
# (plugin/CMakeLists.txt), the unit tests (through tcpdiag_core) and the
# fuzzer (tests/fuzz, which compiles the core again with instrumentation).
#
#   core/  the pure handshake logic: no epan header, GLib only in conclusions.c
#   epan/  the Wireshark side, in layer order (see plugin/README.md)

set(TCPDIAG_CORE_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/core/conn_state.c
  ${CMAKE_CURRENT_LIST_DIR}/core/options.c
  ${CMAKE_CURRENT_LIST_DIR}/core/textbuf.c
  ${CMAKE_CURRENT_LIST_DIR}/core/tuple.c
  ${CMAKE_CURRENT_LIST_DIR}/core/diagnosis.c
  ${CMAKE_CURRENT_LIST_DIR}/core/conclusions.c
  ${CMAKE_CURRENT_LIST_DIR}/core/evidence.c
  ${CMAKE_CURRENT_LIST_DIR}/core/dns_wire.c
  ${CMAKE_CURRENT_LIST_DIR}/core/dns_lookup.c
  ${CMAKE_CURRENT_LIST_DIR}/core/neighbor.c
  ${CMAKE_CURRENT_LIST_DIR}/core/ping.c
  ${CMAKE_CURRENT_LIST_DIR}/core/dhcp.c
  ${CMAKE_CURRENT_LIST_DIR}/core/udp_unreach.c
  ${CMAKE_CURRENT_LIST_DIR}/core/zero_window.c
  ${CMAKE_CURRENT_LIST_DIR}/core/checklist.c)

set(TCPDIAG_EPAN_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/epan/prefs.c
  ${CMAKE_CURRENT_LIST_DIR}/epan/hook.c
  ${CMAKE_CURRENT_LIST_DIR}/epan/evidence_hook.c
  ${CMAKE_CURRENT_LIST_DIR}/epan/extract.c
  ${CMAKE_CURRENT_LIST_DIR}/epan/conn_cache.c
  ${CMAKE_CURRENT_LIST_DIR}/epan/conn_table.c
  ${CMAKE_CURRENT_LIST_DIR}/epan/evidence_table.c
  ${CMAKE_CURRENT_LIST_DIR}/epan/capture.c
  ${CMAKE_CURRENT_LIST_DIR}/epan/view.c
  ${CMAKE_CURRENT_LIST_DIR}/epan/render.c
  ${CMAKE_CURRENT_LIST_DIR}/epan/render_evidence.c
  ${CMAKE_CURRENT_LIST_DIR}/epan/report_conn.c
  ${CMAKE_CURRENT_LIST_DIR}/epan/report_servers.c
  ${CMAKE_CURRENT_LIST_DIR}/epan/report_hosts.c
  ${CMAKE_CURRENT_LIST_DIR}/epan/stats_tree.c
  ${CMAKE_CURRENT_LIST_DIR}/epan/packet-tcpdiag.c
  ${CMAKE_CURRENT_LIST_DIR}/epan/plugin.c)

set(TCPDIAG_CORE_INCLUDE_DIR ${CMAKE_CURRENT_LIST_DIR}/core)
set(TCPDIAG_EPAN_INCLUDE_DIR ${CMAKE_CURRENT_LIST_DIR}/epan)
