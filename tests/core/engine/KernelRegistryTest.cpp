// The kernel registry serves a factory per opset range (as ONNX Runtime registers kernels), so an
// op whose attributes became inputs is answered by the factory for the model's opset.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "engine/Kernel.hpp"
#include "engine/OnnxModel.hpp"
#include "support/TestEnvironment.hpp"

namespace imuwb::engine {
namespace {

std::unique_ptr<Kernel> factoryTagged(PrepareContext& ctx, const char* tag) {
  ctx.mixesBatchWhy = tag;
  return nullptr;
}

std::string tagOf(const KernelRegistry& registry, const std::string& op, std::int64_t opset) {
  const KernelFactory* factory = registry.find(op, opset);
  if (!factory) return "none";
  NodeSpec spec;
  PrepareContext ctx(spec, {}, 0);
  (*factory)(ctx);
  return ctx.mixesBatchWhy;
}

TEST(KernelRegistry, PicksTheFactoryWhoseOpsetRangeHoldsTheModelOpset) {
  KernelRegistry registry;
  registry.add("Slice", {.since = 1, .end = 9}, [](auto& c) { return factoryTagged(c, "v1"); });
  registry.add("Slice", {.since = 10}, [](auto& c) { return factoryTagged(c, "v10"); });
  registry.add("Relu", [](auto& c) { return factoryTagged(c, "any"); });
  EXPECT_EQ(tagOf(registry, "Slice", 7), "v1");
  EXPECT_EQ(tagOf(registry, "Slice", 9), "v1");
  EXPECT_EQ(tagOf(registry, "Slice", 10), "v10");
  EXPECT_EQ(tagOf(registry, "Slice", 17), "v10");
  EXPECT_EQ(tagOf(registry, "Relu", 7), "any");
  EXPECT_EQ(tagOf(registry, "Relu", 17), "any");
  EXPECT_EQ(tagOf(registry, "Conv", 13), "none");
  EXPECT_TRUE(registry.knows("Slice"));
  EXPECT_FALSE(registry.knows("Conv"));
  EXPECT_EQ(registry.opTypesText(), "Relu, Slice");
}

TEST(KernelRegistry, AGapBetweenRangesServesNothing) {
  KernelRegistry registry;
  registry.add("Pad", {.since = 1, .end = 10}, [](auto& c) { return factoryTagged(c, "v2"); });
  registry.add("Pad", {.since = 13}, [](auto& c) { return factoryTagged(c, "v13"); });
  EXPECT_EQ(tagOf(registry, "Pad", 11), "none");
  EXPECT_EQ(tagOf(registry, "Pad", 13), "v13");
}

TEST(KernelRegistry, RefusesOverlappingRangesOfOneOp) {
  KernelRegistry registry;
  registry.add("Split", {.since = 1, .end = 12}, [](auto& c) { return factoryTagged(c, "a"); });
  EXPECT_THROW(registry.add("Split", {.since = 12}, [](auto& c) { return factoryTagged(c, "b"); }),
               std::logic_error);
  EXPECT_THROW(registry.add("Split", [](auto& c) { return factoryTagged(c, "c"); }),
               std::logic_error);
  registry.add("Split", {.since = 13}, [](auto& c) { return factoryTagged(c, "d"); });
  EXPECT_EQ(tagOf(registry, "Split", 12), "a");
  EXPECT_EQ(tagOf(registry, "Split", 13), "d");
}

// Every built-in op is served at every opset the loader accepts: the per-range registrations
// leave no gap (a gap would refuse a model that loaded before).
TEST(KernelRegistry, BuiltinOpsCoverEverySupportedOpset) {
  const auto registry = makeBuiltinKernelRegistry();
  for (const auto& op : registry.opTypes())
    for (std::int64_t opset = kMinSupportedOpset; opset <= kMaxSupportedOpset; ++opset)
      EXPECT_NE(registry.find(op, opset), nullptr) << op << " at opset " << opset;
}

// docs/engine.md lists every supported op with the opset ranges the registry serves, as the
// registry generates it (between the ops:begin / ops:end markers): a kernel added or removed
// without the doc fails here, printing the table to paste.
TEST(KernelRegistry, DocListsEveryOp) {
  std::ifstream in(imuwb::test::sourceDir() / "docs" / "engine.md");
  std::stringstream doc;
  doc << in.rdbuf();
  const std::string text = doc.str();
  const std::string begin = "<!-- ops:begin (generated from the kernel registry) -->\n";
  const std::string end = "<!-- ops:end -->";
  const auto from = text.find(begin), to = text.find(end);
  ASSERT_NE(from, std::string::npos) << "docs/engine.md has no '" << begin << "' marker";
  ASSERT_NE(to, std::string::npos);
  const std::string table = makeBuiltinKernelRegistry().opTableMarkdown(kMaxSupportedOpset);
  EXPECT_EQ(text.substr(from + begin.size(), to - from - begin.size()), table)
      << "replace the table in docs/engine.md with:\n"
      << table;
}

}  // namespace
}  // namespace imuwb::engine
