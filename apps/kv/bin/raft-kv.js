#!/usr/bin/env node
// The published command: a committed file, so package managers can link it before dist/ is built.
import '../dist/cli.js';
