# The layering of src/, enforced at configure time: one table of the modules each module's
# sources may include (besides its own headers, the standard library and the system's).
# Each module's README says the same in words. An entry "module/file.hpp" allows that one
# header only. A source that includes a header of any other module stops the configuration
# with one line naming the file and the include.
# The build agrees: each module's library exports its own headers only, and a target sees
# the headers of what it links (cmake/ModuleHeaders.cmake, checked by the test
# layering.include_roots).
set(KOMPO_MODULES core komposition plan media analysis montage render blob store auth logging
    workflow worker platform assistant server cli)
set(KOMPO_MAY_INCLUDE_core "")
set(KOMPO_MAY_INCLUDE_komposition core)
set(KOMPO_MAY_INCLUDE_plan core komposition)
set(KOMPO_MAY_INCLUDE_media core plan/piece.hpp)
set(KOMPO_MAY_INCLUDE_analysis core media)
set(KOMPO_MAY_INCLUDE_montage core)
set(KOMPO_MAY_INCLUDE_render core komposition plan media)
set(KOMPO_MAY_INCLUDE_blob core)
# The one inversion: the store implements the row interfaces the modules declare.
set(KOMPO_MAY_INCLUDE_store core auth/rows.hpp platform/rows.hpp workflow/rows.hpp
    workflow/vocabulary.hpp)
set(KOMPO_MAY_INCLUDE_auth core)
set(KOMPO_MAY_INCLUDE_logging core)
set(KOMPO_MAY_INCLUDE_workflow core komposition plan)
set(KOMPO_MAY_INCLUDE_worker core komposition plan media render logging workflow)
set(KOMPO_MAY_INCLUDE_platform core komposition plan media analysis montage render store auth
    logging workflow worker)
set(KOMPO_MAY_INCLUDE_assistant core komposition auth platform)
set(KOMPO_MAY_INCLUDE_server core auth logging platform workflow assistant)
set(KOMPO_MAY_INCLUDE_cli ${KOMPO_MODULES})

# Includes that break the table and are on their way out: "file|include" each. Empty:
# keep it so.
set(KOMPO_PENDING_EXCEPTIONS "")

# Libraries owned by one module: only src/media includes FFmpeg (house style), whose
# headers sit on the system include path where no link rule can keep them out.
set(KOMPO_FFMPEG_INCLUDE "#include[ \t]*<lib(av|sw)[a-z]*/")

file(GLOB_RECURSE kompo_sources_to_check ${PROJECT_SOURCE_DIR}/src/*.cpp
     ${PROJECT_SOURCE_DIR}/src/*.hpp ${PROJECT_SOURCE_DIR}/src/*.in)
foreach(source IN LISTS kompo_sources_to_check)
  file(RELATIVE_PATH relative ${PROJECT_SOURCE_DIR} ${source})
  string(REGEX REPLACE "^src/([^/]+)/.*" "\\1" module "${relative}")
  if(NOT module IN_LIST KOMPO_MODULES)
    message(FATAL_ERROR " ${relative}: module ${module} has no row in cmake/ModuleBoundaries.cmake")
  endif()
  if(NOT module STREQUAL "media")
    file(STRINGS ${source} ffmpeg_includes REGEX "${KOMPO_FFMPEG_INCLUDE}")
    if(ffmpeg_includes)
      message(FATAL_ERROR " ${relative} includes FFmpeg; only src/media may (cmake/ModuleBoundaries.cmake)")
    endif()
  endif()
  file(STRINGS ${source} includes REGEX "^#include \"[a-z_]+/[^\"]+\"")
  foreach(line IN LISTS includes)
    string(REGEX REPLACE "^#include \"(([a-z_]+)/[^\"]+)\".*" "\\1" header "${line}")
    string(REGEX REPLACE "/.*" "" included "${header}")
    if(included STREQUAL module OR included IN_LIST KOMPO_MAY_INCLUDE_${module}
       OR header IN_LIST KOMPO_MAY_INCLUDE_${module}
       OR "${relative}|${header}" IN_LIST KOMPO_PENDING_EXCEPTIONS)
      continue()
    endif()
    string(REPLACE ";" " " allowed "${KOMPO_MAY_INCLUDE_${module}}")
    # A leading space keeps CMake from wrapping the line.
    message(FATAL_ERROR " ${relative} includes ${header}: ${module} may include only "
            "${allowed} (cmake/ModuleBoundaries.cmake)")
  endforeach()
endforeach()
