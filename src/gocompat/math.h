#pragma once
// Go's math.Log, Log2 and Log10, ported so that PromQL's ln(), log2() and log10() give the
// same bits as Prometheus (glibc's log is correctly rounded; Go's FreeBSD-derived one is not
// always); math.Max and math.Min, whose NaN, infinity and signed-zero rules differ from
// std::fmax/fmin.
namespace cerniq::gocompat {

double Log(double x);
double Log2(double x);
double Log10(double x);
double Max(double a, double b);
double Min(double a, double b);

}  // namespace cerniq::gocompat
