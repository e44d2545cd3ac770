#include "support/paths/TestPaths.hpp"

namespace imuwb::test::paths {

const char* sourceDir() {
  return IMUWB_SOURCE_DIR;
}
const char* cliPath() {
  return IMUWB_CLI_PATH;
}
const char* guiPath() {
  return IMUWB_GUI_PATH;
}
const char* python() {
  return IMUWB_PYTHON;
}
const char* node() {
  return IMUWB_NODE;
}
const char* peersDir() {
  return IMUWB_PEERS_DIR;
}
const char* faultsLibrary() {
  return IMUWB_FAULTS_LIB;
}

}  // namespace imuwb::test::paths
