#pragma once
// The fast path of a sidecar request body. A window body is 900 numbers in a fixed shape, and a
// general JSON parser builds a tree of 1,000 values for it (about 15x the time of scanning the
// numbers). scanWindowBody reads exactly that shape, `{"KEY": [[9 numbers] x rows]}`, with JSON's
// whitespace and number grammar, straight into floats. Anything else (another key, a wrong
// shape, a number out of double's or int64's range, bad JSON) returns false, and the caller
// parses the body with the full parser, which gives the precise 422 detail. So the fast path
// never decides an error, and for every body it accepts it yields the floats the full parser
// would (the test compares them).
#include <cstddef>
#include <string_view>
#include <vector>

namespace imuwb::sidecar {

// true: rows holds expectedRows x 9 values, as nlohmann's parse + get<float> would give them.
bool scanWindowBody(std::string_view body, std::string_view key, std::size_t expectedRows,
                    std::vector<float>& rows);

}  // namespace imuwb::sidecar
