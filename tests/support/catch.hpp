#ifndef BATCHMOUNT_TESTS_CATCH_HPP
#define BATCHMOUNT_TESTS_CATCH_HPP

// Catch2 v3 and v2.13 spell their single include differently.
#if __has_include(<catch2/catch_all.hpp>)
#include <catch2/catch_all.hpp>
#else
#include <catch2/catch.hpp>
#endif

#endif
