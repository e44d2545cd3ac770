#pragma once
// Where the tests find the tree, the built programs and the peers. These come from the build
// (tests/CMakeLists.txt) as definitions on TestPaths.cpp alone: every other test object compiles
// the same in any checkout, so the compiler cache shares them between clones and worktrees.
namespace imuwb::test::paths {

const char* sourceDir();      // the checkout's root
const char* cliPath();        // the imuwb binary under test
const char* guiPath();        // the imuwb-gui binary under test ("" without the GUI build)
const char* python();         // the python3 that has numpy, h5py, scipy and pandas
const char* node();           // node, for the ONNX Runtime peer ("" when absent)
const char* peersDir();       // .cache/peers (scripts/setup-peers.sh)
const char* faultsLibrary();  // the LD_PRELOAD disk-full shim (tests/support/faults)

}  // namespace imuwb::test::paths
