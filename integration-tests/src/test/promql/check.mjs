// Reads a JSON array of PromQL expressions on stdin; prints, for each, where it fails to parse
// (null when it parses), the selectors it reads (metric name and the label names it matches on)
// and the label names it groups or matches by (by, without, on, ignoring).
import { parser } from "@prometheus-io/lezer-promql";

const text = await new Promise((resolve) => {
  let data = "";
  process.stdin.on("data", (chunk) => (data += chunk));
  process.stdin.on("end", () => resolve(data));
});

const report = JSON.parse(text).map((expr) => {
  let error = null;
  const selectors = [];
  const grouping = [];
  parser.parse(expr).iterate({
    enter(node) {
      if (node.type.isError && error === null) {
        error = node.from;
      } else if (node.name === "VectorSelector") {
        const selector = { metric: null, labels: [] };
        const cursor = node.node.cursor();
        cursor.iterate((inner) => {
          if (inner.name === "Identifier" && inner.node.parent.name === "VectorSelector") {
            selector.metric = expr.slice(inner.from, inner.to);
          } else if (inner.name === "LabelName" && inner.node.parent.name.endsWith("LabelMatcher")) {
            selector.labels.push(expr.slice(inner.from, inner.to));
          }
        });
        selectors.push(selector);
      } else if (node.name === "LabelName" && node.node.parent.name === "GroupingLabels") {
        grouping.push(expr.slice(node.from, node.to));
      }
    },
  });
  return { expr, error, selectors, grouping };
});
process.stdout.write(JSON.stringify(report));
