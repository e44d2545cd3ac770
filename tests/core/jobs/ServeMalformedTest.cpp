// What a sidecar must survive and what a client must say: malformed requests to `imuwb serve`
// get 4xx and the server keeps serving (wrong shape, non-finite values, a 100 MB body, invalid
// JSON, a wrong content type, a slow client); the edgeinfer backend flags a stub answering
// random numbers, retries a 503, quotes a 422's detail verbatim and explains a refused
// connection.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>

#include "backends/edgeinfer/EdgeinferBackend.hpp"
#include "common/Error.hpp"
#include "core/jobs/ServeTestSupport.hpp"
#include "jobs/BenchJob.hpp"
#include "support/TestEnvironment.hpp"

namespace imuwb::test {
namespace {

ModelBundle encoder() {
  return loadModelBundle(pipelineFixturesDir() / "tcn_encoder_for_edgeinfer.onnx");
}

nlohmann::json goodBody() {
  nlohmann::json body = {{"x", nlohmann::json::array()}};
  for (int r = 0; r < 100; ++r) body["x"].push_back({0.1, 0.2, 9.8, 0.0, 0.0, 0.0, 20, -8, 40});
  return body;
}

void expectStillServing(int port) {
  httplib::Client client("127.0.0.1", port);
  const auto answer = client.Post("/infer", goodBody().dump(), "application/json");
  ASSERT_TRUE(answer) << "the server stopped answering";
  EXPECT_EQ(answer->status, 200);
}

int connectTo(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  timeval timeout{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  return fd;
}

// Everything until the server closes, or (untilHead) until the end of a response's head.
std::string readAll(int fd, bool untilHead = false) {
  std::string text;
  char buffer[4096];
  for (ssize_t got; (got = ::recv(fd, buffer, sizeof buffer, 0)) > 0;) {
    text.append(buffer, got);
    if (untilHead && text.find("\r\n\r\n") != std::string::npos) break;
  }
  return text;
}

TEST(ServeMalformed, EveryBadRequestGets4xxAndTheServerKeepsServing) {
  IMUWB_REQUIRE_PIPELINE_FIXTURES();
  const auto bundle = encoder();
  ServeThread serve(bundle, {});
  httplib::Client client("127.0.0.1", serve.port());
  auto shape = goodBody();
  shape["x"].erase(shape["x"].begin());  // 99 rows
  auto infinite = goodBody();
  infinite["x"][5][1] = 1e39;  // a JSON number that is inf as float32
  auto outOfRange = goodBody();
  outOfRange["x"][7][6] = 2500.0;  // |mag| > 2000
  const std::vector<std::pair<std::string, int>> cases = {
      {shape.dump(), 422},
      {infinite.dump(), 422},
      {outOfRange.dump(), 422},
      {goodBody().dump().replace(10, 0, "NaN,"), 422},  // JSON has no NaN: invalid JSON
      {"{\"x\": [[1,2,3", 422},
      {"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[", 422},
  };
  for (const auto& [body, status] : cases) {
    const auto answer = client.Post("/infer", body, "application/json");
    ASSERT_TRUE(answer);
    EXPECT_EQ(answer->status, status) << body.substr(0, 80);
    EXPECT_TRUE(nlohmann::json::parse(answer->body).contains("detail")) << answer->body;
    expectStillServing(serve.port());
  }
  const auto nonFinite = client.Post("/infer", infinite.dump(), "application/json");
  EXPECT_NE(nonFinite->body.find("not finite"), std::string::npos) << nonFinite->body;
  const auto wrongType = client.Post("/infer", goodBody().dump(), "text/plain");
  EXPECT_EQ(wrongType->status, 415);
  expectStillServing(serve.port());
}

TEST(ServeMalformed, HundredMegabyteBodyIsRefusedWith413) {
  IMUWB_REQUIRE_PIPELINE_FIXTURES();
  const auto bundle = encoder();
  // The server drains the declared body until its read timeout before answering 413; that
  // timeout must be well inside this client's 5 s receive timeout, or a slow run (ASan under
  // load) sees no answer at all.
  jobs::ServeJobOptions options;
  options.readTimeout_ms = 1000;
  ServeThread serve(bundle, options);
  const int fd = connectTo(serve.port());
  const std::string head =
      "POST /infer HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
      "Content-Length: 104857600\r\n\r\n";
  ASSERT_GT(::send(fd, head.data(), head.size(), MSG_NOSIGNAL), 0);
  // The server answers from the declared length, before any of the body. The answer is read
  // first: body bytes still unread when the server closes make its kernel reset the
  // connection, which can discard the 413 on its way to the client.
  const auto answer = readAll(fd, true);
  const std::string chunk(1 << 20, '[');
  ::send(fd, chunk.data(), chunk.size(), MSG_NOSIGNAL | MSG_DONTWAIT);  // the body keeps coming
  ::close(fd);
  EXPECT_NE(answer.find(" 413 "), std::string::npos) << answer.substr(0, 200);
  expectStillServing(serve.port());
}

TEST(ServeMalformed, SlowClientIsDroppedAndOthersAreServed) {
  IMUWB_REQUIRE_PIPELINE_FIXTURES();
  const auto bundle = encoder();
  jobs::ServeJobOptions options;
  options.readTimeout_ms = 300;
  ServeThread serve(bundle, options);
  const int fd = connectTo(serve.port());
  const std::string partial = "POST /infer HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Le";
  ::send(fd, partial.data(), partial.size(), MSG_NOSIGNAL);
  expectStillServing(serve.port());  // while the slow one dawdles
  const auto started = std::chrono::steady_clock::now();
  const auto answer = readAll(fd);  // returns when the server drops it (or after 5 s)
  ::close(fd);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(4));
  EXPECT_EQ(answer.find(" 200 "), std::string::npos);
  expectStillServing(serve.port());
}

std::unique_ptr<Backend> sidecarBackend(const std::string& url,
                                        std::map<std::string, std::string> extra = {}) {
  BackendOptions options;
  options.settings = std::move(extra);
  options.settings["url"] = url;
  return edgeinferBackendEntry().create(options);
}

TEST(EdgeinferClient, StubAnsweringRandomNumbersIsFlaggedNonDeterministic) {
  IMUWB_REQUIRE_PIPELINE_FIXTURES();
  StubSidecar stub(randomAnswers({{"latent", 64}}, 5));
  const auto bundle = encoder();
  auto backend = sidecarBackend(stub.url());
  backend->load(bundle);
  const auto& verdict = dynamic_cast<EdgeinferBackend&>(*backend).determinism();
  EXPECT_FALSE(verdict.deterministic);
  EXPECT_NE(verdict.text.find("non-deterministic (likely a stub)"), std::string::npos);
  EXPECT_NE(backend->describe().device.find("NON-DETERMINISTIC"), std::string::npos);
  bool inDetails = false;
  for (const auto& detail : backend->details())
    inDetails |= detail.key == "determinism" &&
                 detail.value.find("non-deterministic (likely a stub)") != std::string::npos;
  EXPECT_TRUE(inDetails);
  jobs::BenchJobOptions bench;
  bench.backend = "edgeinfer";
  bench.backendSettings = {{"url", stub.url()}};
  bench.windows = 8;
  const auto result = jobs::runBenchJob(bundle, bench);
  EXPECT_TRUE(result.nonDeterministic);
  EXPECT_FALSE(result.passed());
  EXPECT_EQ(result.toJson()["non_deterministic"], true);
}

TEST(EdgeinferClient, A503IsRetriedWithBackOff) {
  IMUWB_REQUIRE_PIPELINE_FIXTURES();
  std::atomic<int> calls{0};
  StubSidecar stub([&](const httplib::Request&, httplib::Response& r) {
    if (++calls % 3 != 0) {  // two 503s before every answer
      r.status = 503;
      r.set_content(R"({"detail": "model not ready"})", "application/json");
      return;
    }
    r.set_content(nlohmann::json{{"latent", std::vector<float>(64, 0.5f)}}.dump(),
                  "application/json");
  });
  const auto bundle = encoder();
  auto patient = sidecarBackend(stub.url(), {{"retries", "3"}, {"backoff_ms", "1"}});
  patient->load(bundle);  // the probe's two requests each met two 503s
  EXPECT_GE(calls.load(), 6);
  auto impatient = sidecarBackend(stub.url(), {{"retries", "0"}});
  calls = 0;
  try {
    impatient->load(bundle);
    FAIL() << "a 503 without retries should fail";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("503"), std::string::npos) << error.what();
  }
}

TEST(EdgeinferClient, A422DetailIsShownVerbatim) {
  IMUWB_REQUIRE_PIPELINE_FIXTURES();
  const std::string detail =
      R"([{"loc":["body","x",3],"msg":"marker: gyro out of range","type":"value_error"}])";
  StubSidecar stub([&](const httplib::Request&, httplib::Response& r) {
    r.status = 422;
    r.set_content("{\"detail\": " + detail + "}", "application/json");
  });
  auto backend = sidecarBackend(stub.url());
  try {
    backend->load(encoder());
    FAIL() << "a 422 should fail";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find(detail), std::string::npos) << error.what();
  }
}

TEST(EdgeinferClient, ARefusedConnectionIsExplained) {
  IMUWB_REQUIRE_PIPELINE_FIXTURES();
  int port = 0;
  {  // a port that was free a moment ago, now closed
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
    port = ntohs(address.sin_port);
    ::close(fd);
  }
  auto backend = sidecarBackend("http://127.0.0.1:" + std::to_string(port) + "/infer");
  try {
    backend->load(encoder());
    FAIL() << "nothing listens there";
  } catch (const Error& error) {
    const std::string text = error.what();
    EXPECT_NE(text.find("connection refused"), std::string::npos) << text;
    EXPECT_NE(text.find("imuwb serve"), std::string::npos) << text;
  }
}

}  // namespace
}  // namespace imuwb::test
