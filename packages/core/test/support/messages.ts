import { createMessage } from '../../src/index.js';

/** A message built by hand, every field it does not set at its zero value. */
export const msg = createMessage;
