// The side evaluator's benchmark (issue 11), driven by bench/evaluator/run.sh:
//   evaluator_bench generate SCRAPE OUT_DIR HOURS END_MS RULE_FILE...
//       24 h of the exporter's real series (from one /metrics scrape) at 5 s into a
//       HistoryStore, bytes per sample, the rules evaluated over it (ms per evaluation), and
//       OUT_DIR/data.om (for promtool), OUT_DIR/cerniq-history.ckpt (for `serve`),
//       OUT_DIR/exporter/cerniq-history.ckpt (for the exporter's --storage.path).
//   evaluator_bench serve CHECKPOINT
//       /api/v1 over that history on 127.0.0.1 (http::Server + api::Api, as the exporter serves
//       it); prints "port N" and runs until SIGTERM or SIGINT.
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "collect/snapshot.h"
#include "generate.h"
#include "http/routes.h"
#include "http/server.h"
#include "tsdb/checkpoint.h"
#include "tsdb/history_store.h"

namespace {

int Serve(const std::string& checkpoint) {
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);  // before the server's threads start

  cerniq::tsdb::HistoryOptions options;
  options.retention = std::chrono::hours(24 * 365);
  cerniq::tsdb::HistoryStore store(options);
  std::string blob;
  auto r = cerniq::tsdb::ReadCheckpoint(store, checkpoint, &blob);
  if (!r.ok) {
    std::fprintf(stderr, "%s\n", r.message.c_str());
    return 1;
  }
  cerniq::http::RouteContext context;
  context.storage = [&store](int64_t mint, int64_t maxt) { return store.Querier(mint, maxt); };
  cerniq::collect::SnapshotStore snapshots;
  cerniq::http::Router router(context, snapshots);
  cerniq::http::Server server(cerniq::http::ServerOptions("127.0.0.1:0", 2), router);
  std::printf("port %d\n", server.port());
  std::fflush(stdout);
  int sig = 0;
  sigwait(&stop, &sig);
  return 0;
}

int Usage() {
  std::fprintf(stderr,
               "usage: evaluator_bench generate SCRAPE OUT_DIR HOURS END_MS RULE_FILE...\n"
               "       evaluator_bench serve CHECKPOINT\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // run.sh tees the progress
  if (argc >= 3 && std::string(argv[1]) == "serve") return Serve(argv[2]);
  if (argc < 6 || std::string(argv[1]) != "generate") return Usage();
  cerniq::bench::GenerateOptions o;
  o.scrape_file = argv[2];
  o.out_dir = argv[3];
  o.hours = std::atoll(argv[4]);
  o.end_ms = std::atoll(argv[5]);
  for (int i = 6; i < argc; ++i) o.rule_files.emplace_back(argv[i]);
  try {
    return cerniq::bench::Generate(o);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
}
