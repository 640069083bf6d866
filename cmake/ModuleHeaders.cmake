# Each module's headers reach only the targets that link it: the build half of the layering
# whose table is cmake/ModuleBoundaries.cmake.
#
# Sources include "module/file.hpp", so a header is found from a folder that holds a folder
# named after its module. src/ itself would be such a root for every module at once, so no
# target is given src/. Instead each module gets a root of its own in the build tree,
# include_roots/<module>/, holding one symbolic link, <module> -> src/<module>, and its
# library exports that root: a target sees the headers of the modules it links (directly or
# through their PUBLIC links) and no others. An include of anything else fails to compile.
#
# A header grant gives a target single headers of a module it does not link (the table's
# "module/file.hpp" entries): include_roots/<target>.grants/<module>/<file> links to
# src/<module>/<file>, the only files in that root. The grant is PUBLIC when the target's own
# headers include the granted ones, so that whoever includes them finds them too.
#
# tests/layering/check_include_roots.py checks the result in compile_commands.json.
set(KOMPO_INCLUDE_ROOTS ${PROJECT_BINARY_DIR}/include_roots)

# kompo_module_headers(<target> <module>): <target> exports the headers of src/<module>.
function(kompo_module_headers target module)
  if(NOT IS_DIRECTORY ${PROJECT_SOURCE_DIR}/src/${module})
    message(FATAL_ERROR "kompo_module_headers: no folder src/${module}")
  endif()
  set(root ${KOMPO_INCLUDE_ROOTS}/${module})
  file(MAKE_DIRECTORY ${root})
  file(CREATE_LINK ${PROJECT_SOURCE_DIR}/src/${module} ${root}/${module} SYMBOLIC)
  get_target_property(type ${target} TYPE)
  if(type STREQUAL "INTERFACE_LIBRARY")
    target_include_directories(${target} INTERFACE ${root})
  else()
    target_include_directories(${target} PUBLIC ${root})
  endif()
endfunction()

# kompo_grant_headers(<target> PUBLIC|PRIVATE <module/file.hpp>...): <target> sees these
# headers, and no other of their modules, without linking their modules. Once per target.
function(kompo_grant_headers target scope)
  set(root ${KOMPO_INCLUDE_ROOTS}/${target}.grants)
  # The links of an earlier configuration go: a grant taken out of the list is gone.
  file(GLOB_RECURSE old_links LIST_DIRECTORIES false ${root}/*)
  if(old_links)
    file(REMOVE ${old_links})
  endif()
  foreach(header IN LISTS ARGN)
    if(NOT EXISTS ${PROJECT_SOURCE_DIR}/src/${header})
      message(FATAL_ERROR "kompo_grant_headers: no file src/${header}")
    endif()
    get_filename_component(folder ${root}/${header} DIRECTORY)
    file(MAKE_DIRECTORY ${folder})
    file(CREATE_LINK ${PROJECT_SOURCE_DIR}/src/${header} ${root}/${header} SYMBOLIC)
  endforeach()
  target_include_directories(${target} ${scope} ${root})
endfunction()
