#include "cli/node_app.h"

int main(int argc, char** argv) { return loadlab::cli::node_main(argc, argv); }
