# tocm_add_plugin(NAME SOURCES...)
#
# Builds a tocm plugin: a MODULE library (a .so meant for dlopen, not for
# linking) named NAME.so, with every symbol hidden except the entry point
# (TOCM_PLUGIN_DEFINE marks it visible). tocm's own plugins are built with
# this same function; it is installed with the SDK, so a third-party plugin
# uses it through find_package(tocm).
#
# The plugin includes tocm/plugin.h only and links nothing from tocm.
# Inside the tocm tree the output goes to build/plugins/, where a tocm run
# from the build tree finds it.
function(tocm_add_plugin name)
  add_library(${name} MODULE ${ARGN})
  set_target_properties(${name} PROPERTIES
    PREFIX ""
    C_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    C_STANDARD 11)
  if(TARGET tocm::headers)
    target_link_libraries(${name} PRIVATE tocm::headers)
  else()
    target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/include)
  endif()
  if(DEFINED TOCM_PLUGIN_OUTPUT_DIR)
    set_target_properties(${name} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${TOCM_PLUGIN_OUTPUT_DIR})
  endif()
  if(DEFINED TOCM_PLUGIN_INSTALL_DIR)
    install(TARGETS ${name} LIBRARY DESTINATION ${TOCM_PLUGIN_INSTALL_DIR})
  endif()
endfunction()
