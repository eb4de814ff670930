#pragma once
// Go's math.Log, Log2 and Log10, ported so that ln(), log2() and log10() give the same bits as
// Prometheus (glibc's log is correctly rounded; Go's FreeBSD-derived one is not always).
namespace cerniq::promql {

double GoLog(double x);
double GoLog2(double x);
double GoLog10(double x);

}  // namespace cerniq::promql
