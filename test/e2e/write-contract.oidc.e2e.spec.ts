/**
 * The write contract of every command (every role × every write route × own and other
 * jurisdiction) on access tokens a real OpenID Connect provider issued through client-credentials
 * grants (issue #16: the authorization matrix runs on the provider's tokens).
 */
import { describeWriteContractSuite } from '../support/write-contract-suite.js';

describeWriteContractSuite('oidc');
