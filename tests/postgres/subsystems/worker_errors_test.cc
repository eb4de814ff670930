// worker_errors (collect/postgres/subsystems/worker_errors.cc) against an independent count.

#include <string>

#include <gtest/gtest.h>

#include "catalog/catalog.h"
#include "collector_fixture.h"

namespace cerniq {
namespace {

using collect::CollectResult;
using testing::PostgresCollectorsTest;
namespace n = catalog::names;

TEST_F(PostgresCollectorsTest, WorkerErrorsPerQueue) {
  CollectResult errors = Collect("worker_errors");
  ASSERT_TRUE(errors.success) << errors.error;
  ExpectFamily(errors, n::kWorkerErrorsTotal, "queue",
               ByLabel("SELECT queue, count(id) FROM worker_errors GROUP BY queue"));
}

}  // namespace
}  // namespace cerniq
