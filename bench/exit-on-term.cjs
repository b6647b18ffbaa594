// Loaded before the app when a benchmark profiles it: SIGTERM ends the process normally, so that
// node writes the --cpu-prof profile (a death by signal writes none).
process.once('SIGTERM', () => process.exit(0));
