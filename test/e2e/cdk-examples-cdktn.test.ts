// CDK Terrain 0.24 (cdktn-cli, on Node 24) over the examples; see cdk-examples.ts.
import { cdkExampleSuite } from "./cdk-examples.ts";

cdkExampleSuite("cdktn");
