//! Bar charts drawn on the server as SVG: the template gives the `<svg>` `role="img"` with a
//! `<title>` and `<desc>`, and the same figures are always in a table beside the chart, so
//! nothing is only in the picture.

/// Drawing area, in SVG user units.
pub const WIDTH: u32 = 640;
pub const HEIGHT: u32 = 240;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 40.0;
const LEFT: f64 = 40.0;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Bar {
    pub label: String,
    /// Short label under the bar ("Apr").
    pub short: String,
    /// The figure as read out ("85.0%" or "no responses").
    pub text: String,
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct BarChart {
    pub title: String,
    pub description: String,
    pub bars: Vec<Bar>,
    /// Gridlines: `(y, label)`.
    pub grid: Vec<(f64, String)>,
    pub width: u32,
    pub height: u32,
    pub baseline: f64,
}

impl BarChart {
    /// Bars of percentages (0–100); `None` is a month with nothing to measure.
    pub fn percentages(
        title: &str,
        description: &str,
        values: Vec<(String, Option<f64>)>,
    ) -> BarChart {
        let plot = f64::from(HEIGHT) - TOP - BOTTOM;
        let baseline = TOP + plot;
        let n = values.len().max(1) as f64;
        let slot = (f64::from(WIDTH) - LEFT) / n;
        let bars = values
            .into_iter()
            .enumerate()
            .map(|(i, (label, value))| {
                let v = value.unwrap_or(0.0).clamp(0.0, 100.0);
                let height = plot * v / 100.0;
                Bar {
                    short: label.chars().take(3).collect(),
                    text: value
                        .map(|v| format!("{v:.1}%"))
                        .unwrap_or_else(|| "no responses".into()),
                    label,
                    x: LEFT + slot * i as f64 + slot * 0.15,
                    y: baseline - height,
                    width: slot * 0.7,
                    height,
                }
            })
            .collect();
        let grid = [0.0, 50.0, 100.0]
            .into_iter()
            .map(|p| (baseline - plot * p / 100.0, format!("{p:.0}%")))
            .collect();
        BarChart {
            title: title.into(),
            description: description.into(),
            bars,
            grid,
            width: WIDTH,
            height: HEIGHT,
            baseline,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_plot_and_say_their_value() {
        let chart = BarChart::percentages(
            "t",
            "d",
            vec![
                ("April 2025".into(), Some(100.0)),
                ("May 2025".into(), None),
            ],
        );
        assert_eq!(chart.bars[0].y, TOP);
        assert_eq!(chart.bars[0].text, "100.0%");
        assert_eq!(chart.bars[0].short, "Apr");
        assert_eq!(chart.bars[1].height, 0.0);
        assert_eq!(chart.bars[1].text, "no responses");
    }
}
