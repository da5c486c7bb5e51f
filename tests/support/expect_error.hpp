#pragma once
// Shared by the suites: run `f`, which must throw E whose message contains every string in
// `mentions` (messages name the offending field; the tests hold them to it).
#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <utility>

#include "core/error.hpp"

namespace ridgeline::test {

template <class E, class F>
void expect_error(F&& f, std::initializer_list<std::string> mentions) {
  try {
    f();
    ADD_FAILURE() << "expected an error mentioning " << *mentions.begin();
  } catch (const E& e) {
    const std::string what = e.what();
    for (const auto& m : mentions) EXPECT_NE(what.find(m), std::string::npos) << what;
  }
}

template <class F>
void expect_usage_error(F&& f, std::initializer_list<std::string> mentions) {
  expect_error<usage_error>(std::forward<F>(f), mentions);
}

// The message of the usage_error `f` throws, "" when it throws none: for tests that compare the
// whole one-line message ("FILE:LINE: problem").
template <class F>
std::string usage_error_of(F&& f) {
  try {
    f();
  } catch (const usage_error& e) {
    return e.what();
  }
  return "";
}

}  // namespace ridgeline::test
