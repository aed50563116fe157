# Install.cmake — where `cmake --install` and the .deb put tcpdiag.
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Included from plugin/CMakeLists.txt once the tcpdiag target exists (it needs
# the Wireshark_* variables of find_package(Wireshark) and TD_WS_ABI).
#
# Two sets of rules, so that a source install and a package both work:
#
#  * component "tcpdiag" (what a plain `cmake --install build` installs):
#    absolute folders. By default the personal ones of the user who configured
#    the build — plugin in ~/.local/lib/wireshark/plugins/X.Y/epan, profile in
#    ~/.config/wireshark/profiles (Wireshark reads neither when run as root).
#    With -DTCPDIAG_INSTALL_SYSTEM=ON Wireshark's own system folders instead.
#    TCPDIAG_PLUGIN_INSTALL_DIR / TCPDIAG_PROFILES_INSTALL_DIR override either.
#
#  * component "deb" (EXCLUDE_FROM_ALL, installed only by CPack, see
#    cmake/Packaging.cmake): the same system folders, but relative to
#    Wireshark's prefix, as CPack requires; the package's install prefix is
#    that same prefix (/usr on Debian).
#
# `make uninstall` (or `cmake --build build --target uninstall`) removes the
# files listed in install_manifest.txt, i.e. exactly what the last
# `cmake --install` put there, and then the profile folder if it is empty.

set(TCPDIAG_PROFILE_NAME "TCP Handshake Diagnosis")
set(_td_profile_src "${PROJECT_SOURCE_DIR}/plugin/profile/${TCPDIAG_PROFILE_NAME}")

# --- Wireshark's system folders, relative to its install prefix --------------
# Debian 12: prefix /usr, plugins lib/x86_64-linux-gnu/wireshark/plugins/4.0,
# global profiles share/wireshark/profiles (get_datafile_dir()/profiles).
if(DEFINED Wireshark_PLUGIN_LIBDIR)
  set(_td_sys_plugin_rel "${Wireshark_PLUGIN_LIBDIR}/epan")
else()
  file(RELATIVE_PATH _td_sys_plugin_rel "${Wireshark_INSTALL_PREFIX}"
       "${Wireshark_PLUGIN_INSTALL_DIR}/epan")
endif()
set(_td_sys_profiles_rel "share/wireshark/profiles")
set(_td_sys_prefix "${Wireshark_INSTALL_PREFIX}")

# --- personal folders (as Wireshark 4.0 finds them on Linux) -----------------
# Plugins: ~/.local/lib/wireshark/plugins/X.Y/epan.
# Configuration: ~/.wireshark if it already exists (older installs), else
# $XDG_CONFIG_HOME/wireshark, else ~/.config/wireshark.
set(_td_home "$ENV{HOME}")
if(EXISTS "${_td_home}/.wireshark")
  set(_td_pers_conf "${_td_home}/.wireshark")
elseif(DEFINED ENV{XDG_CONFIG_HOME} AND NOT "$ENV{XDG_CONFIG_HOME}" STREQUAL "")
  set(_td_pers_conf "$ENV{XDG_CONFIG_HOME}/wireshark")
else()
  set(_td_pers_conf "${_td_home}/.config/wireshark")
endif()

if(TCPDIAG_INSTALL_SYSTEM)
  set(_td_plugin_default "${_td_sys_prefix}/${_td_sys_plugin_rel}")
  set(_td_profiles_default "${_td_sys_prefix}/${_td_sys_profiles_rel}")
else()
  set(_td_plugin_default "${_td_home}/.local/lib/wireshark/plugins/${TD_WS_ABI}/epan")
  set(_td_profiles_default "${_td_pers_conf}/profiles")
endif()

# A cache variable keeps its first value, so switching TCPDIAG_INSTALL_SYSTEM
# on a configured tree would silently keep the old folder: on such a switch,
# follow the new default unless the user had chosen a folder of their own.
# (Otherwise the folders stay as first configured, even if a later re-run of
# cmake sees another $HOME.)
function(_td_install_dir var default doc)
  if(NOT DEFINED ${var} OR (NOT "${_TD_LAST_MODE}" STREQUAL "${TCPDIAG_INSTALL_SYSTEM}"
                            AND "${${var}}" STREQUAL "${_TD_DEFAULT_${var}}"))
    set(${var} "${default}" CACHE PATH "${doc}" FORCE)
    set(_TD_DEFAULT_${var} "${default}" CACHE INTERNAL "")
  endif()
endfunction()
_td_install_dir(TCPDIAG_PLUGIN_INSTALL_DIR "${_td_plugin_default}"
                "Where cmake --install puts tcpdiag.so")
_td_install_dir(TCPDIAG_PROFILES_INSTALL_DIR "${_td_profiles_default}"
                "Wireshark profiles folder that cmake --install puts the tcpdiag profile into")
set(_TD_LAST_MODE "${TCPDIAG_INSTALL_SYSTEM}" CACHE INTERNAL "")

# --- component tcpdiag: cmake --install --------------------------------------
install(TARGETS tcpdiag LIBRARY DESTINATION "${TCPDIAG_PLUGIN_INSTALL_DIR}" COMPONENT tcpdiag)
install(DIRECTORY "${_td_profile_src}" DESTINATION "${TCPDIAG_PROFILES_INSTALL_DIR}"
        COMPONENT tcpdiag FILE_PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
# Say where things went and how to check; warn about the root trap (tshark
# and Wireshark run as root never read personal plugin folders).
install(CODE "
  message(STATUS \"tcpdiag: plugin in ${TCPDIAG_PLUGIN_INSTALL_DIR}\")
  message(STATUS \"tcpdiag: profile '${TCPDIAG_PROFILE_NAME}' in ${TCPDIAG_PROFILES_INSTALL_DIR}\")
  message(STATUS \"tcpdiag: check with: tshark -G plugins | grep tcpdiag\")" COMPONENT tcpdiag)
if(NOT TCPDIAG_INSTALL_SYSTEM AND TCPDIAG_PLUGIN_INSTALL_DIR STREQUAL _td_plugin_default)
  install(CODE "
  execute_process(COMMAND id -u OUTPUT_VARIABLE _td_uid OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(_td_uid STREQUAL \"0\")
    message(WARNING \"tcpdiag: installed into root's personal plugin folder, which Wireshark \"
      \"ignores when it runs as root. Run Wireshark as a normal user, or reconfigure with \"
      \"-DTCPDIAG_INSTALL_SYSTEM=ON for the system folder.\")
  endif()" COMPONENT tcpdiag)
endif()

# --- component deb: the package (relative to Wireshark's prefix) -------------
install(TARGETS tcpdiag LIBRARY DESTINATION "${_td_sys_plugin_rel}"
        COMPONENT deb EXCLUDE_FROM_ALL)
install(DIRECTORY "${_td_profile_src}" DESTINATION "${_td_sys_profiles_rel}"
        COMPONENT deb EXCLUDE_FROM_ALL
        FILE_PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)

# --- uninstall ----------------------------------------------------------------
if(NOT TARGET uninstall)
  add_custom_target(uninstall
    COMMAND "${CMAKE_COMMAND}"
            # `cmake --install build --component tcpdiag` names its list so.
            "-DTD_MANIFEST=${CMAKE_BINARY_DIR}/install_manifest.txt;${CMAKE_BINARY_DIR}/install_manifest_tcpdiag.txt"
            "-DTD_PROFILE_NAME=${TCPDIAG_PROFILE_NAME}"
            -P "${PROJECT_SOURCE_DIR}/cmake/Uninstall.cmake"
    COMMENT "Removing the files listed in install_manifest.txt"
    VERBATIM)
endif()

# --- what cmake/Packaging.cmake needs (it runs in the top-level scope) -------
# The library the plugin is bound to: its file name gives the package that
# must be installed (libwireshark16 on Debian 12).
get_target_property(_td_epan_loc epan LOCATION)
set(TCPDIAG_WS_LIBRARY "${_td_epan_loc}" PARENT_SCOPE)
set(TCPDIAG_WS_PREFIX "${_td_sys_prefix}" PARENT_SCOPE)
set(TCPDIAG_WS_VERSION "${Wireshark_VERSION}" PARENT_SCOPE)
set(TCPDIAG_WS_MAJOR "${Wireshark_MAJOR_VERSION}" PARENT_SCOPE)
set(TCPDIAG_WS_MINOR "${Wireshark_MINOR_VERSION}" PARENT_SCOPE)
set(TCPDIAG_PROFILE_NAME "${TCPDIAG_PROFILE_NAME}" PARENT_SCOPE)
