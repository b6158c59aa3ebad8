package org.lsmtree.bench;

import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.List;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * The benchmark page's chart, drawn from a run's JSON ({@link ResultsFile}): median ops/s per
 * workload step (groups) and engine (bars), on a log scale since the workloads differ by orders
 * of magnitude. {@code compact} is left out (one operation: its time is in the table). PNG.
 */
final class BenchChart {
    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
        new Color(0x7f7f7f), new Color(0x9467bd)};

    private BenchChart() {}

    static void draw(ResultsFile results, Path png) throws IOException {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        List<String> labels = ReportTable.stepLabels(results.benchmarks());
        double smallest = Double.MAX_VALUE;
        for (String engine : results.engines()) {
            for (Summary.Row row : results.rows()) {
                if (row.engine().equals(engine) && !row.workload().equals("compact")) {
                    double value = row.opsPerSecond();
                    data.addValue(Double.isNaN(value) ? null : value, engine, labels.get(row.step()));
                    if (!Double.isNaN(value)) {
                        smallest = Math.min(smallest, value);
                    }
                }
            }
        }
        LogAxis opsAxis = new LogAxis("ops/s (median of " + results.rounds() + " round"
                + (results.rounds() == 1 ? "" : "s") + ", log scale)");
        opsAxis.setBase(10);
        opsAxis.setTickUnit(new NumberTickUnit(1)); // one tick per power of ten
        opsAxis.setNumberFormatOverride(new DecimalFormat("#,##0"));
        opsAxis.setSmallestValue(smallest == Double.MAX_VALUE ? 1 : Math.max(1, smallest / 2));
        CategoryAxis workloadAxis = new CategoryAxis("workload");
        workloadAxis.setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        BarRenderer bars = new BarRenderer();
        bars.setBarPainter(new StandardBarPainter());
        bars.setShadowVisible(false);
        bars.setItemMargin(0.02);
        for (int i = 0; i < results.engines().size(); i++) {
            bars.setSeriesPaint(i, COLORS[i % COLORS.length]);
        }
        CategoryPlot plot = new CategoryPlot(data, workloadAxis, opsAxis, bars);
        plot.setOrientation(PlotOrientation.VERTICAL);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        JFreeChart chart = new JFreeChart("lsm-bench: ops/s per workload and engine", JFreeChart.DEFAULT_TITLE_FONT,
                plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        BenchSettings settings = results.settings();
        chart.addSubtitle(new TextTitle(String.format(java.util.Locale.ROOT,
                "--num %,d, %d-byte keys, %d-byte values; higher is better; compact left out (see the table)",
                settings.num(), settings.keySize(), settings.valueSize()), new Font("SansSerif", Font.PLAIN, 12)));
        results.header().stream().filter(line -> line.startsWith("note: ")).forEach(note -> chart.addSubtitle(
                new TextTitle(note, new Font("SansSerif", Font.BOLD, 12))));
        Path parent = png.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 1400, 700);
    }
}
