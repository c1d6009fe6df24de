import { describeSweep } from './sweep.js';

describeSweep(7);
