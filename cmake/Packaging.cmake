# Packaging.cmake — a Debian package of the plugin and its profile (CPack).
# SPDX-License-Identifier: GPL-2.0-or-later
#
#   cmake --build build --target package      (or: cd build && cpack -G DEB)
#   sudo dpkg -i build/wireshark-plugin-tcpdiag_<version>_<arch>.deb
#
# The package holds the install component "deb" of cmake/Install.cmake:
# tcpdiag.so in Wireshark's system plugin folder and the profile in its
# global profiles folder, both relative to Wireshark's prefix (/usr on
# Debian), whatever TCPDIAG_INSTALL_SYSTEM says for `cmake --install`.
# A plugin is bound to the Wireshark major.minor it was built against, so the
# package depends on exactly that libwireshark ABI package and series.
#
# Included from the top-level CMakeLists.txt after add_subdirectory(plugin).

if(NOT TARGET tcpdiag)
  return() # TCPDIAG_PLUGIN=OFF: nothing to package
endif()

set(TCPDIAG_DEB_NAME "wireshark-plugin-tcpdiag")

# --- the libwireshark package the plugin is bound to -------------------------
# Ask dpkg which package owns the library we linked against (Debian 12:
# libwireshark16); without dpkg, guess from the soname (libwireshark.so.16).
get_filename_component(_td_ws_real "${TCPDIAG_WS_LIBRARY}" REALPATH)
set(_td_ws_pkg "")
find_program(TCPDIAG_DPKG_QUERY dpkg-query)
if(TCPDIAG_DPKG_QUERY)
  execute_process(COMMAND "${TCPDIAG_DPKG_QUERY}" -S "${_td_ws_real}"
                  OUTPUT_VARIABLE _td_owner ERROR_QUIET RESULT_VARIABLE _td_rc)
  if(_td_rc EQUAL 0 AND _td_owner MATCHES "^([a-z0-9][a-z0-9.+-]+)(:[a-z0-9]+)?: ")
    set(_td_ws_pkg "${CMAKE_MATCH_1}")
  endif()
endif()
if(NOT _td_ws_pkg)
  get_filename_component(_td_ws_name "${_td_ws_real}" NAME)
  if(_td_ws_name MATCHES "^libwireshark\\.so\\.([0-9]+)")
    set(_td_ws_pkg "libwireshark${CMAKE_MATCH_1}")
  else()
    set(_td_ws_pkg "libwireshark-data") # cannot happen on Debian; keeps cpack usable
    message(WARNING "tcpdiag: cannot tell which package provides ${_td_ws_real}; "
                    "the .deb will not pin the Wireshark ABI")
  endif()
endif()
math(EXPR _td_ws_next_minor "${TCPDIAG_WS_MINOR} + 1")
set(_td_ws_series "${TCPDIAG_WS_MAJOR}.${TCPDIAG_WS_MINOR}")
set(TCPDIAG_DEB_DEPENDS
    "${_td_ws_pkg} (>= ${_td_ws_series}.0), ${_td_ws_pkg} (<< ${TCPDIAG_WS_MAJOR}.${_td_ws_next_minor}~)")

# --- Debian's copyright file ---------------------------------------------------
set(_td_copyright "${CMAKE_BINARY_DIR}/deb/copyright")
file(WRITE "${_td_copyright}"
"Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: tcpdiag
Comment: Wireshark ${_td_ws_series} post-dissector plugin that diagnoses TCP handshakes.

Files: *
Copyright: tcpdiag developers
License: GPL-2.0-or-later
 This program is free software; you can redistribute it and/or modify
 it under the terms of the GNU General Public License as published by
 the Free Software Foundation; either version 2 of the License, or
 (at your option) any later version.
 .
 On Debian systems, the complete text of the GNU General Public License
 version 2 can be found in /usr/share/common-licenses/GPL-2.
")
install(FILES "${_td_copyright}" DESTINATION "share/doc/${TCPDIAG_DEB_NAME}"
        COMPONENT deb EXCLUDE_FROM_ALL)

# --- CPack ---------------------------------------------------------------------
set(CPACK_GENERATOR "DEB")
set(CPACK_PACKAGE_NAME "${TCPDIAG_DEB_NAME}")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "TCP handshake diagnosis for Wireshark ${_td_ws_series}")
set(CPACK_PACKAGE_CONTACT "tcpdiag developers <tcpdiag@localhost>")
# Only the "deb" component, installed under Wireshark's prefix.
set(CPACK_INSTALL_CMAKE_PROJECTS "${CMAKE_BINARY_DIR};tcpdiag;deb;/")
set(CPACK_PACKAGING_INSTALL_PREFIX "${TCPDIAG_WS_PREFIX}")
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT) # name_version-release_arch.deb
set(CPACK_DEBIAN_PACKAGE_SECTION "net")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
set(CPACK_DEBIAN_PACKAGE_DEPENDS "${TCPDIAG_DEB_DEPENDS}")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "wireshark-qt | tshark")
set(CPACK_DEBIAN_PACKAGE_ENHANCES "wireshark-qt, tshark")
# CPack puts the summary first and indents this body itself (an empty line
# becomes " ."). No double quotes: CPackConfig.cmake would not escape them.
set(CPACK_PACKAGE_DESCRIPTION
"tcpdiag is a Wireshark ${_td_ws_series} post-dissector plugin. It follows each TCP
connection's handshake and tells, in words, what happened: established,
no-response, refused, icmp-unreachable, half-open, aborted, stale and more,
with the evidence (frames, round-trip times, retransmissions, ICMP reporter).

The package installs the plugin into Wireshark's system plugin folder and the
'${TCPDIAG_PROFILE_NAME}' configuration profile (columns and colouring rules)
into Wireshark's global profiles folder. License: GPL-2.0-or-later.")
# The plugin is a dlopen()ed module; Debian wants it 0644 and stripped.
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

# A source tarball must not sweep up build trees or version control.
set(CPACK_SOURCE_GENERATOR "TGZ")
set(CPACK_SOURCE_IGNORE_FILES "/\\\\.git/" "/build/" "/_build/" "/\\\\.ci-build/")

include(CPack)
message(STATUS "tcpdiag: package ${TCPDIAG_DEB_NAME}, Depends: ${TCPDIAG_DEB_DEPENDS}")
