/** The write contract of every command, on HS256 tokens (the local and test default). */
import { describeWriteContractSuite } from '../support/write-contract-suite.js';

describeWriteContractSuite('hs256');
