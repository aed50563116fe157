# Uninstall.cmake — run by the `uninstall` target (cmake -P): removes exactly
# the files that the last `cmake --install` listed in install_manifest.txt,
# then the profile folder if nothing else (e.g. Wireshark's "recent" file) is
# left in it. Plugin folders stay: other plugins may live there.
#   -DTD_MANIFEST=<list of install_manifest*.txt> -DTD_PROFILE_NAME=<profile>
# SPDX-License-Identifier: GPL-2.0-or-later
cmake_minimum_required(VERSION 3.16)

set(_manifests "")
set(_files "")
foreach(_m IN LISTS TD_MANIFEST)
  if(EXISTS "${_m}")
    file(STRINGS "${_m}" _list)
    list(APPEND _files ${_list})
    list(APPEND _manifests "${_m}")
  endif()
endforeach()
if(NOT _manifests)
  string(REPLACE ";" " or " _names "${TD_MANIFEST}")
  message(FATAL_ERROR "uninstall: no ${_names}: nothing was installed from this "
                      "build tree (or it was already uninstalled)")
endif()
list(REMOVE_DUPLICATES _files)
set(_dirs "")
set(_failed "")
foreach(_f IN LISTS _files)
  if(EXISTS "${_f}" OR IS_SYMLINK "${_f}")
    message(STATUS "Uninstalling: ${_f}")
    file(REMOVE "${_f}")
    if(EXISTS "${_f}" OR IS_SYMLINK "${_f}")
      list(APPEND _failed "${_f}")
    endif()
  else()
    message(STATUS "Already gone: ${_f}")
  endif()
  get_filename_component(_d "${_f}" DIRECTORY)
  get_filename_component(_dn "${_d}" NAME)
  if(_dn STREQUAL TD_PROFILE_NAME)
    list(APPEND _dirs "${_d}")
  endif()
endforeach()

if(_failed)
  message(FATAL_ERROR "uninstall: could not remove (permissions? try as the user who "
                      "installed): ${_failed}")
endif()

list(REMOVE_DUPLICATES _dirs)
foreach(_d IN LISTS _dirs)
  file(GLOB _left LIST_DIRECTORIES true "${_d}/*" "${_d}/.*")
  if(_left)
    message(STATUS "Keeping ${_d}: it holds files Wireshark wrote there (${_left})")
  else()
    message(STATUS "Removing empty profile folder: ${_d}")
    file(REMOVE_RECURSE "${_d}")
  endif()
endforeach()

file(REMOVE ${_manifests})
