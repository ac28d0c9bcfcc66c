//! What is wrong with what someone entered, field by field: the one error type every form
//! uses, from the complaint intake rules to the admin pages. Each message is keyed by the id
//! of the input it belongs beside (the GOV.UK error summary links to it).

/// One message, beside the input with id `field`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

/// Errors in the order the fields appear on the page, at most one per field.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors(Vec<FieldError>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a message unless the field already has one (the first problem is the one to fix).
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        if !self.has(field) {
            self.0.push(FieldError {
                field: field.to_string(),
                message: message.into(),
            });
        }
    }

    /// The value of a check that gives a `(field, message)` on failure; the failure is
    /// added and `None` given back.
    pub fn take<T>(&mut self, result: Result<T, (String, String)>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err((field, message)) => {
                self.add(&field, message);
                None
            }
        }
    }

    pub fn has(&self, field: &str) -> bool {
        self.0.iter().any(|e| e.field == field)
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }

    /// The first message on any field whose id starts with `prefix` (the boxes of a date).
    pub fn get_prefix(&self, prefix: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|e| e.field.starts_with(prefix))
            .map(|e| e.message.as_str())
    }

    pub fn has_prefix(&self, prefix: &str) -> bool {
        self.get_prefix(prefix).is_some()
    }

    pub fn list(&self) -> &[FieldError] {
        &self.0
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `(field, message)` pairs, in order.
    pub fn pairs(&self) -> Vec<(String, String)> {
        self.0
            .iter()
            .map(|e| (e.field.clone(), e.message.clone()))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_problem_per_field_is_kept_in_order() {
        let mut errors = FieldErrors::new();
        errors.add("name", "Enter a name");
        errors.add("date-day", "Enter a date");
        errors.add("name", "The name is too long");
        let taken: Option<i32> = errors.take(Err(("email".into(), "Enter an email".into())));
        assert_eq!(taken, None);
        assert_eq!(errors.take::<i32>(Ok(3)), Some(3));
        assert_eq!(
            errors.pairs(),
            [
                ("name".to_string(), "Enter a name".to_string()),
                ("date-day".to_string(), "Enter a date".to_string()),
                ("email".to_string(), "Enter an email".to_string()),
            ]
        );
        assert_eq!(errors.get_prefix("date-"), Some("Enter a date"));
        assert!(!errors.has("phone"));
    }
}
