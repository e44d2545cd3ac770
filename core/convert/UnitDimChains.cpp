// Rewrite: chains of Squeeze / Unsqueeze / Reshape / Flatten / Identity that only add, drop or
// move unit dimensions. A chain that ends in the shape it started from is removed (its readers
// read the start); a longer chain that only moves unit dimensions becomes one Reshape.
#include <algorithm>
#include <sstream>

#include "convert/Convert.hpp"
#include "convert/GraphEdit.hpp"

namespace imuwb::convert {
namespace {

bool isRelabel(const onnx::NodeProto& node) {
  static const std::set<std::string> ops = {"Squeeze", "Unsqueeze", "Reshape", "Flatten",
                                            "Identity"};
  return (node.domain().empty() || node.domain() == "ai.onnx") && ops.count(node.op_type());
}

Ints withoutUnits(const Ints& dims) {
  Ints kept;
  std::copy_if(dims.begin(), dims.end(), std::back_inserter(kept), [](auto d) { return d != 1; });
  return kept;
}

bool known(const Ints& dims) {
  return std::all_of(dims.begin(), dims.end(), [](auto d) { return d >= 0; });
}

std::string shapeText(const Ints& dims) {
  std::ostringstream out;
  out << "[";
  for (std::size_t i = 0; i < dims.size(); ++i) out << (i ? "," : "") << dims[i];
  out << "]";
  return out.str();
}

}  // namespace

void removeUnitDimChains(onnx::ModelProto& model, ConvertLog& log) {
  auto& graph = *model.mutable_graph();
  nameUnnamedNodes(graph);
  const auto shapes = inferShapes(model);
  const auto made = producers(graph);
  const auto uses = consumers(graph);
  auto shapeOf = [&](const std::string& name) {
    const auto found = shapes.find(name);
    return found == shapes.end() ? Ints{-1} : found->second;
  };
  for (int n = 0; n < graph.node_size(); ++n) {
    if (!isRelabel(graph.node(n))) continue;
    const auto end = graph.node(n).output(0);
    const auto readers = uses.find(end);
    const bool endpoint =
        isGraphOutput(graph, end) || readers == uses.end() ||
        std::any_of(readers->second.begin(), readers->second.end(),
                    [&](const Use& use) { return !isRelabel(graph.node(use.node)); });
    if (!endpoint) continue;
    std::vector<int> chain = {n};
    std::string start = graph.node(n).input(0);
    for (auto p = made.find(start); p != made.end() && isRelabel(graph.node(p->second)) &&
                                    uses.at(start).size() == 1 && !isGraphOutput(graph, start);
         p = made.find(start)) {
      chain.push_back(p->second);
      start = graph.node(p->second).input(0);
    }
    const auto from = shapeOf(start), to = shapeOf(end);
    if (!known(from) || !known(to) || withoutUnits(from) != withoutUnits(to)) continue;
    std::vector<std::string> names;
    std::string ops;
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
      names.push_back(nodeName(graph, *it));
      ops += (ops.empty() ? "" : " -> ") + graph.node(*it).op_type();
    }
    if (from == to && !isGraphOutput(graph, end)) {
      for (auto& node : *graph.mutable_node())
        for (auto& input : *node.mutable_input())
          if (input == end) input = start;
      log.add("unit_dim_chain", names,
              ops + " from " + shapeText(from) + " back to itself: removed");
    } else if (chain.size() >= 2) {
      auto& last = *graph.mutable_node(n);
      const auto shapeName = addIntsInitializer(graph, end + "_shape", to);
      last.set_op_type("Reshape");
      last.clear_attribute();
      last.clear_input();
      last.add_input(start);
      last.add_input(shapeName);
      log.add("unit_dim_chain", names,
              ops + " " + shapeText(from) + " -> " + shapeText(to) + ": one Reshape");
    }
  }
  removeDeadNodes(graph);
}

}  // namespace imuwb::convert
