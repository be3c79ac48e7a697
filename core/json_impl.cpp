// Boost.JSON is compiled into the core from its header-only form, so every target builds
// it with the same flags and no target needs a prebuilt Boost library.
#include <boost/json/src.hpp>
