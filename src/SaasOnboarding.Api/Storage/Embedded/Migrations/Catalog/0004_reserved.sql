-- Reserved for the webhooks delivery change (issue 23), which is numbered 4: this file goes when that one is merged.
SELECT 1;
