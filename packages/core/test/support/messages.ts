import { message } from '../../src/raft/messages.js';

/** A message built by hand, every field it does not set at its zero value. */
export const msg = message;
