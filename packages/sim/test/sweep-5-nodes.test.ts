import { describeSweep } from './sweep.js';

describeSweep(5);
