# FindPfm: libpfm4 (perf event encoding). libpfm4-dev ships neither a CMake
# package nor a pkg-config file, so find the library and its perf_event
# header directly and wrap them in an imported target.
#
#   Pfm_FOUND, Pfm_LIBRARY, Pfm_INCLUDE_DIR
#   pfm::pfm   (IMPORTED target)
find_path(Pfm_INCLUDE_DIR perfmon/pfmlib_perf_event.h)
find_library(Pfm_LIBRARY NAMES pfm)

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(Pfm REQUIRED_VARS Pfm_LIBRARY Pfm_INCLUDE_DIR)
mark_as_advanced(Pfm_INCLUDE_DIR Pfm_LIBRARY)

if(Pfm_FOUND AND NOT TARGET pfm::pfm)
  add_library(pfm::pfm UNKNOWN IMPORTED)
  set_target_properties(pfm::pfm PROPERTIES
    IMPORTED_LOCATION "${Pfm_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${Pfm_INCLUDE_DIR}")
endif()
