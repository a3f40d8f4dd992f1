// Preloaded into an `sro` child (NODE_OPTIONS=--import …): at exit, writes the process's peak
// resident set size in bytes (getrusage's ru_maxrss) to the file PEAK_RSS_FILE names.
import { writeFileSync } from 'node:fs';

const file = process.env.PEAK_RSS_FILE;
if (file) process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS * 1024)));
