# Only src/media may include FFmpeg headers (house style: one module owns the library).
# FFmpeg's headers sit on the system include path, so a PRIVATE link alone cannot stop
# another module from including them: this check at configure time does.
file(GLOB_RECURSE KOMPO_SOURCES_TO_CHECK ${PROJECT_SOURCE_DIR}/src/*.cpp ${PROJECT_SOURCE_DIR}/src/*.hpp)
foreach(source IN LISTS KOMPO_SOURCES_TO_CHECK)
  if(source MATCHES "/src/media/")
    continue()
  endif()
  file(STRINGS ${source} ffmpeg_includes REGEX "#include[ \t]*<lib(av|sw)[a-z]*/")
  if(ffmpeg_includes)
    message(FATAL_ERROR "${source} includes FFmpeg; only src/media may (see src/media/README.md)")
  endif()
endforeach()
