// CDK for Terraform 0.21 (cdktf-cli) over the examples; see cdk-examples.ts.
import { cdkExampleSuite } from "./cdk-examples.ts";

cdkExampleSuite("cdktf");
