#pragma once
// Eigen set-up shared by the GEMM-based kernels (Conv, Gemm/MatMul). Include it first, before
// anything else that pulls in Eigen, so these kernels agree on the stack limit below.
// Eigen puts GEMM packing buffers on the stack up to this size (default 128 KB) and mallocs
// beyond it; the engine promises no allocation per run, and its largest panels fit in 4 MB.
#ifndef EIGEN_STACK_ALLOCATION_LIMIT
#define EIGEN_STACK_ALLOCATION_LIMIT (4 * 1024 * 1024)
#endif
#include <Eigen/Core>

namespace imuwb::engine {

using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

}  // namespace imuwb::engine
