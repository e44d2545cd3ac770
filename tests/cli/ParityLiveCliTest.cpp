// `imuwb parity --a cpu --b edgeinfer --b-option url=...` end to end, with child processes on
// loopback: `imuwb serve --port 0` (it prints the port it bound) passes at float rounding with a
// schema-valid report naming the sidecar's health and determinism; a Python stub sidecar that
// answers random numbers is reported non-deterministic and the command exits 1.
#include <gtest/gtest.h>
#include <signal.h>

#include <nlohmann/json.hpp>

#include "cli/CliFixture.hpp"
#include "support/ChildProcess.hpp"
#include "support/TestEnvironment.hpp"

namespace imuwb {
namespace {

using namespace std::chrono_literals;

const std::filesystem::path kModel = test::sourceDir() / "samples/models/dog_behavior_conv2d";
const std::filesystem::path kSession =
    test::sourceDir() / "samples/sessions/dog_10min_collar_harness.h5";

// A sidecar whose /infer answers 64 random numbers, /healthz ok: the production incident.
constexpr const char* kStubSidecar = R"(
import http.server, json, random, sys
class H(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a): pass
    def answer(self, body):
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(data)))
        self.end_headers()
        self.wfile.write(data)
    def do_GET(self):
        self.answer({'ok': True, 'model': 'stub', 'version': '0-stub', 'device': 'none'})
    def do_POST(self):
        self.rfile.read(int(self.headers['Content-Length']))
        self.answer({'latent': [random.gauss(0, 1) for _ in range(64)]})
http.server.HTTPServer.protocol_version = 'HTTP/1.1'
s = http.server.ThreadingHTTPServer(('127.0.0.1', 0), H)
print(json.dumps({'port': s.server_address[1]}), flush=True)
s.serve_forever()
)";

// Waits for the child's first stdout line, {"port": N, ...}, and returns N (0 if it ended).
int announcedPort(test::ChildProcess& child) {
  test::waitUntil(
      [&] { return child.output().find('\n') != std::string::npos || !child.running(); }, 120s);
  const auto line = child.output();
  if (line.find('\n') == std::string::npos) return 0;
  return nlohmann::json::parse(line.substr(0, line.find('\n')))["port"].get<int>();
}

std::string inferUrl(int port) {
  return "http://127.0.0.1:" + std::to_string(port) + "/infer";
}

class ParityLiveCli : public test::CliFixture {
 protected:
  void stop(test::ChildProcess& child) {
    child.sendSignal(SIGTERM);
    EXPECT_TRUE(child.waitForExit(120s)) << "the server did not stop on SIGTERM";
  }
};

TEST_F(ParityLiveCli, CpuVsEdgeinferThroughServePasses) {
  IMUWB_REQUIRE_PYTHON_PEERS();
  test::ChildProcess serve(test::cliPath(),
                           {"--json", "serve", "--model", kModel.string(), "--port", "0"});
  const int port = announcedPort(serve);
  ASSERT_GT(port, 0) << serve.errors();
  const auto run =
      imuwb("parity --model " + test::shellQuote(kModel.string()) + " --session " +
            test::shellQuote(kSession.string()) +
            " --max-windows 48 --a cpu --b edgeinfer --b-option url=" + inferUrl(port) +
            " --b-option concurrency=4 --report " + path("r.json"));
  stop(serve);
  ASSERT_EQ(run.exitCode, 0) << run.output << run.errors;
  EXPECT_NE(run.output.find("healthz.hef_sha256"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("verdict: PASS"), std::string::npos);
  const auto doc = json("r.json");
  EXPECT_TRUE(doc["passed"].get<bool>());
  EXPECT_EQ(doc["b"]["label"], "edgeinfer");
  EXPECT_EQ(doc["b"]["non_deterministic"], false);
  for (const auto& output : doc["outputs"]) {
    EXPECT_GE(output["metrics"]["cosine_min"].get<double>(), 1 - 1e-9) << output["output"];
    EXPECT_LE(output["metrics"]["max_abs"].get<double>(), 1e-4) << output["output"];
  }
  const auto schema = test::runCommand(
      test::shellQuote(test::pythonPath()) + " " +
      test::shellQuote((test::sourceDir() / "tests/peers/validate_report.py").string()) + " " +
      test::shellQuote((test::sourceDir() / "docs/parity-report.schema.json").string()) + " " +
      path("r.json"));
  EXPECT_EQ(schema.exitCode, 0) << schema.output;
}

TEST_F(ParityLiveCli, RandomNumberStubIsReportedNonDeterministicAndFails) {
  IMUWB_REQUIRE_PIPELINE_FIXTURES();
  IMUWB_REQUIRE_PYTHON_PEERS();
  writeRandomNpys(3, {{"inputs.npy", "(16,100,9)"}});
  test::ChildProcess stub(test::pythonPath(), {"-c", kStubSidecar});
  const int port = announcedPort(stub);
  ASSERT_GT(port, 0) << stub.errors();
  const auto model = (test::pipelineFixturesDir() / "tcn_encoder_for_edgeinfer.onnx").string();
  const auto run = imuwb("parity --model " + test::shellQuote(model) + " --inputs " +
                         path("inputs.npy") + " --b edgeinfer --b-option url=" + inferUrl(port) +
                         " --report " + path("r.json") + " --junit " + path("r.xml"));
  stop(stub);
  EXPECT_EQ(run.exitCode, 1) << run.output << run.errors;
  EXPECT_NE(run.output.find("WARNING: edgeinfer is non-deterministic (likely a stub)"),
            std::string::npos)
      << run.output;
  const auto doc = json("r.json");
  EXPECT_FALSE(doc["passed"].get<bool>());
  EXPECT_EQ(doc["b"]["non_deterministic"], true);
  bool flagged = false;
  for (const auto& finding : doc["findings"])
    flagged |= finding["code"] == "backend_non_deterministic";
  EXPECT_TRUE(flagged);
}

TEST_F(ParityLiveCli, BadSideOptionIsAUsageError) {
  const auto run = imuwb("parity --model " + test::shellQuote(kModel.string()) + " --session " +
                         test::shellQuote(kSession.string()) + " --b cpu --b-option url --report " +
                         path("r.json"));
  EXPECT_EQ(run.exitCode, 2) << run.output << run.errors;
  EXPECT_NE(run.errors.find("--b-option url"), std::string::npos) << run.errors;
}

}  // namespace
}  // namespace imuwb
