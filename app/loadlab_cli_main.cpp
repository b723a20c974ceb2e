#include "cli/cli_app.h"

int main(int argc, char** argv) { return loadlab::cli::main(argc, argv); }
