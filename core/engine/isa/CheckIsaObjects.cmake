# Build-time guard against the ODR trap of per-ISA code (see IsaKernels.hpp): an object compiled
# with -mavx2/-mavx512* must not define weak or unique symbols (inline functions, template
# instantiations, vtables) the linker could pick for generic callers, and every global symbol it
# defines must live in its own level's namespace.
#   cmake -DNM=<nm> -DLEVEL=<avx2|avx512> -DOBJECTS=<a.o;b.o> -DSTAMP=<file> -P CheckIsaObjects.cmake
foreach(object IN LISTS OBJECTS)
  execute_process(COMMAND ${NM} -C --defined-only ${object} OUTPUT_VARIABLE symbols
                  RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "${NM} failed on ${object}")
  endif()
  string(REPLACE "\n" ";" lines "${symbols}")
  foreach(line IN LISTS lines)
    if(NOT line MATCHES "^[0-9a-fA-F]* *([A-Za-z]) (.*)$")
      continue()
    endif()
    set(type "${CMAKE_MATCH_1}")
    set(name "${CMAKE_MATCH_2}")
    # Sanitizer builds (make test-sanitize): the instrumentation's own symbols (reserved names,
    # e.g. clang's __odr_asan_gen_* or __asan_* module data) are not ISA code. gcc emits none.
    if(name MATCHES "^_*(odr_asan|asan_|ubsan_|sancov)")
      continue()
    endif()
    if(type MATCHES "^[WwVvu]$")
      message(FATAL_ERROR "${object} (${LEVEL}) defines the weak/unique symbol '${name}': an "
                          "inline function or template instantiated with ISA flags. Make it "
                          "static or move it into an anonymous namespace.")
    endif()
    if(type MATCHES "^[A-Z]$" AND NOT name MATCHES "^imuwb::engine::isa::${LEVEL}::")
      message(FATAL_ERROR "${object} (${LEVEL}) defines the global symbol '${name}' outside "
                          "imuwb::engine::isa::${LEVEL}")
    endif()
  endforeach()
endforeach()
file(WRITE ${STAMP} "ok\n")
