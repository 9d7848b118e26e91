/**
 * Django's migration autodetector tests (tests/migrations/test_autodetector.py),
 * ported to our models: each case is the change a Django test makes to its
 * model states, run up, down and up again on both engines (see
 * support/peer-case.ts for what every case must show).
 */
import type { PeerCase } from './support/peer-case.js';
import { model, peerSuite } from './support/peer-case.js';

const AD = 'django test_autodetector.py::';

const cases: PeerCase[] = [
  {
    name: 'a new model',
    peer: `${AD}test_new_model`,
    v1: model('Author', 'authors', `name: fields.CharField({ maxLength: 200 })`),
    v2: model('Author', 'authors', `name: fields.CharField({ maxLength: 200 })`) + model('Book', 'books', `title: fields.CharField({ maxLength: 200 })`),
  },
];

peerSuite('Django autodetector cases', cases);
