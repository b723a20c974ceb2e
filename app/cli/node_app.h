#pragma once
// loadlab-node: one scenario node as a standalone HTTP server, so backends can run on other
// machines behind a real proxy.
namespace loadlab::cli {
int node_main(int argc, char** argv);
}  // namespace loadlab::cli
