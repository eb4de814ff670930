# cerniq_library(<target> [LINKS <target>...])
# One static library per folder of src/: every .cc file of the calling folder, headers included
# as "<folder>/<file>.h" from src/. Every library is declared this way, so a new file needs no
# edit here and include directories are spelled once.
function(cerniq_library target)
  cmake_parse_arguments(ARG "" "" "LINKS" ${ARGN})
  file(GLOB _sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cc)
  add_library(${target} STATIC ${_sources})
  target_include_directories(${target} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(${target} PUBLIC ${ARG_LINKS})
endfunction()
