/*
 * jq-awp: compile a jq program once, run it many times.
 *
 * A reactor module (no main): the host reserves an input area, writes UTF-8 text into it and
 * calls awp_compile or awp_run; results are left in an output area the host reads back. One
 * jq_state per compiled program. Memory exhaustion is reported to the host through the
 * imported awp.out_of_memory, which does not return (it throws in the host), so the instance
 * must be discarded afterwards; so must it after any trap.
 */
#include <stdlib.h>
#include <string.h>

#include "jq.h"
#include "jv.h"

#define EXPORT(name) __attribute__((export_name(#name)))

__attribute__((import_module("awp"), import_name("out_of_memory"))) void awp_out_of_memory(void);

enum {
  AWP_OK = 0,
  AWP_COMPILE_ERROR = 1,
  AWP_RUNTIME_ERROR = 2,
  AWP_BAD_INPUT = 3,
  AWP_OUTPUT_LIMIT = 4,
};

static char *input_area;
static size_t input_capacity;
static char *output_area;
static size_t output_length;
static size_t output_capacity;
static size_t output_limit;

static void on_no_memory(void *data) {
  (void)data;
  awp_out_of_memory();
}

/* The area the host writes the next call's text into; NULL when it cannot grow. */
EXPORT(awp_reserve) char *awp_reserve(size_t size) {
  if (size + 1 > input_capacity) {
    char *grown = realloc(input_area, size + 1);
    if (grown == NULL) awp_out_of_memory();
    input_area = grown;
    input_capacity = size + 1;
  }
  return input_area;
}

EXPORT(awp_output) const char *awp_output(void) { return output_area; }

EXPORT(awp_output_length) size_t awp_output_length(void) { return output_length; }

/* Appends to the output area; 0 when that would pass the output limit. */
static int append(const char *bytes, size_t length) {
  if (output_length + length > output_limit) return 0;
  if (output_length + length > output_capacity) {
    size_t capacity = output_capacity < 4096 ? 4096 : output_capacity;
    while (capacity < output_length + length) capacity *= 2;
    char *grown = realloc(output_area, capacity);
    if (grown == NULL) awp_out_of_memory();
    output_area = grown;
    output_capacity = capacity;
  }
  memcpy(output_area + output_length, bytes, length);
  output_length += length;
  return 1;
}

static void append_jv_string(jv text) {
  append(jv_string_value(text), (size_t)jv_string_length_bytes(jv_copy(text)));
  jv_free(text);
}

/* Compile errors, one per line, without jq's "jq: error: " prefix and closing error count. */
static void on_compile_error(void *data, jv message) {
  (void)data;
  message = jq_format_error(message);
  if (jv_get_kind(message) != JV_KIND_STRING) {
    jv_free(message);
    return;
  }
  const char *text = jv_string_value(message);
  const char *prefix = "jq: error: ";
  if (strncmp(text, prefix, strlen(prefix)) == 0) {
    text += strlen(prefix);
  } else if (strncmp(text, "jq: ", 4) == 0) {
    jv_free(message);
    return;
  }
  if (output_length > 0) append("\n", 1);
  append(text, strlen(text));
  jv_free(message);
}

static void ignore_message(void *data, jv message) {
  (void)data;
  jv_free(message);
}

/*
 * Compiles the program at input_area[0, program_length) with the variables of the JSON object
 * at input_area[program_length + 1, + arguments_length) bound as constants. Returns the jq
 * state, or 0 with jq's messages in the output area (at most message_limit bytes).
 */
EXPORT(awp_compile)
jq_state *awp_compile(size_t program_length, size_t arguments_length, size_t message_limit) {
  output_length = 0;
  output_limit = message_limit;
  input_area[program_length] = '\0';
  jv arguments = jv_parse_sized(input_area + program_length + 1, (int)arguments_length);
  if (jv_get_kind(arguments) != JV_KIND_OBJECT) {
    jv_free(arguments);
    append("invalid variables", 17);
    return 0;
  }
  jq_state *jq = jq_init();
  if (jq == NULL) awp_out_of_memory();
  jq_set_nomem_handler(jq, on_no_memory, NULL);
  jq_set_error_cb(jq, on_compile_error, NULL);
  jq_set_debug_cb(jq, ignore_message, NULL);
  jq_set_stderr_cb(jq, ignore_message, NULL);
  /* No module search path: programs cannot read files. */
  jq_set_attr(jq, jv_string("JQ_LIBRARY_PATH"), jv_array());
  if (!jq_compile_args(jq, input_area, arguments)) {
    jq_teardown(&jq);
    return 0;
  }
  return jq;
}

EXPORT(awp_release) void awp_release(jq_state *jq) { jq_teardown(&jq); }

/* jq's message for an error that ended a run, as its command line prints it after "jq: error". */
static void append_error(jv message) {
  if (jv_get_kind(message) == JV_KIND_STRING) {
    append_jv_string(message);
  } else {
    append("(not a string): ", 16);
    append_jv_string(jv_dump_string(message, 0));
  }
}

/*
 * Runs a compiled program on the JSON text at input_area[0, input_length). On AWP_OK the output
 * area holds a JSON array of every output; otherwise it holds jq's message. The output area
 * never grows past output_bytes.
 */
EXPORT(awp_run) int awp_run(jq_state *jq, size_t input_length, size_t output_bytes) {
  output_length = 0;
  output_limit = output_bytes;
  jv input = jv_parse_sized(input_area, (int)input_length);
  if (!jv_is_valid(input)) {
    jv message = jv_invalid_get_msg(input);
    append_error(jv_get_kind(message) == JV_KIND_NULL ? jv_string("invalid JSON input") : message);
    return AWP_BAD_INPUT;
  }
  append("[", 1);
  jq_start(jq, input, 0);
  int count = 0;
  jv result;
  while (jv_is_valid(result = jq_next(jq))) {
    jv text = jv_dump_string(result, 0);
    int fits = (count == 0 || append(",", 1)) &&
               append(jv_string_value(text), (size_t)jv_string_length_bytes(jv_copy(text)));
    jv_free(text);
    if (!fits) {
      output_length = 0;
      return AWP_OUTPUT_LIMIT;
    }
    count++;
  }
  if (jq_halted(jq)) {
    jv_free(result);
    jv exit_code = jq_get_exit_code(jq);
    jv message = jq_get_error_message(jq);
    int failed = jv_is_valid(exit_code) &&
                 !(jv_get_kind(exit_code) == JV_KIND_NUMBER && jv_number_value(exit_code) == 0);
    jv_free(exit_code);
    if (failed) {
      output_length = 0;
      if (jv_get_kind(message) == JV_KIND_STRING) {
        append_jv_string(message);
      } else if (jv_is_valid(message) && jv_get_kind(message) != JV_KIND_NULL) {
        append_jv_string(jv_dump_string(message, 0));
      } else {
        jv_free(message);
        append("halted", 6);
      }
      return AWP_RUNTIME_ERROR;
    }
    jv_free(message);
  } else if (jv_invalid_has_msg(jv_copy(result))) {
    output_length = 0;
    append_error(jv_invalid_get_msg(result));
    return AWP_RUNTIME_ERROR;
  } else {
    jv_free(result);
  }
  if (!append("]", 1)) {
    output_length = 0;
    return AWP_OUTPUT_LIMIT;
  }
  return AWP_OK;
}
