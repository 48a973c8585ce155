//! Values read uncertainly from a scan: the fields whose cells the character recognition was
//! unsure of ([`Uncertain`]) are kept with the form when it is filed, shown on its page, and
//! must be confirmed against the paper before the form is sent on (送单位负责人确认). The
//! confirmation is the unit's, logged in the change log like a save.

use jixiao_core::form::Form;
use jixiao_core::source::Uncertain;
use jixiao_recognize::Recognized;
use serde_json::json;

use crate::access::{Actor, Operation};
use crate::service::author;
use crate::{App, AppError};

/// A form to file and the values of it read uncertainly (none but for a scan).
#[derive(Debug, Clone)]
pub struct Incoming {
    /// The form.
    pub form: Form,
    /// Its fields read from cells the recognition was unsure of.
    pub uncertain: Vec<Uncertain>,
}

impl From<Recognized> for Incoming {
    fn from(r: Recognized) -> Incoming {
        Incoming {
            form: r.form,
            uncertain: r.uncertain,
        }
    }
}

impl From<Form> for Incoming {
    fn from(form: Form) -> Incoming {
        Incoming {
            form,
            uncertain: Vec::new(),
        }
    }
}

/// A reading to confirm, as the form page shows it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Reading {
    /// The field's path in the form's JSON.
    pub path: String,
    /// The field as users know it (「第4项指标的实际完成值」).
    pub label: String,
    /// The text as read.
    pub text: String,
    /// Where on the paper: page, table, row and column.
    pub place: String,
    /// The recognition's confidence, 0–100.
    pub confidence: u8,
}

/// The readings as stored with a form (`None` when there are none).
pub(crate) fn stored(uncertain: &[Uncertain]) -> Result<Option<String>, AppError> {
    if uncertain.is_empty() {
        return Ok(None);
    }
    serde_json::to_string(uncertain)
        .map(Some)
        .map_err(|e| AppError::unwritable("扫描识别待核对项", e))
}

fn parse(id: i64, text: &str) -> Result<Vec<Uncertain>, AppError> {
    serde_json::from_str(text).map_err(|e| {
        AppError::Store(jixiao_store::StoreError::Corrupt(format!(
            "表单 {id} 的扫描识别待核对项：{e}"
        )))
    })
}

impl App {
    /// The values of form `id` read uncertainly from a scan and not yet confirmed.
    pub async fn readings(&self, actor: &Actor, id: i64) -> Result<Vec<Reading>, AppError> {
        let head = self.store.form_head(id).await?;
        self.authorize_form(actor, Operation::View, &head).await?;
        self.pending_readings(id).await.map(|list| {
            list.into_iter()
                .map(|u| Reading {
                    label: crate::field::label(&u.path),
                    place: u.location.to_string(),
                    path: u.path,
                    text: u.text,
                    confidence: u.confidence,
                })
                .collect()
        })
    }

    /// The unconfirmed readings of form `id`, unchecked.
    pub(crate) async fn pending_readings(&self, id: i64) -> Result<Vec<Uncertain>, AppError> {
        match self.store.readings(id).await? {
            Some(text) => parse(id, &text),
            None => Ok(Vec::new()),
        }
    }

    /// The unit confirms that the readings of form `id` agree with the paper (having corrected
    /// in the form those that did not): from now on they count as any value. → how many were
    /// confirmed.
    pub async fn confirm_readings(&self, actor: &Actor, id: i64) -> Result<usize, AppError> {
        let head = self.store.form_head(id).await?;
        self.authorize_form(actor, Operation::Edit, &head).await?;
        let pending = self.pending_readings(id).await?;
        if pending.is_empty() {
            return Err(AppError::Workflow(
                "该表单没有待核对的扫描识别结果".to_string(),
            ));
        }
        let fields: Vec<String> = pending
            .iter()
            .map(|u| crate::field::label(&u.path))
            .collect();
        self.store
            .set_readings(
                id,
                None,
                "readings_confirmed",
                &json!({"readings": pending.len(), "fields": fields}),
                &author(actor),
            )
            .await?;
        Ok(pending.len())
    }

    /// Replaces the readings of form `id` by those of a file imported over it (none for a
    /// file that is not a scan: what it holds was typed).
    pub(crate) async fn replace_readings(
        &self,
        actor: &Actor,
        id: i64,
        uncertain: &[Uncertain],
    ) -> Result<(), AppError> {
        let before = self.pending_readings(id).await?;
        if before.is_empty() && uncertain.is_empty() {
            return Ok(());
        }
        self.store
            .set_readings(
                id,
                stored(uncertain)?.as_deref(),
                "readings_set",
                &json!({"readings": uncertain.len()}),
                &author(actor),
            )
            .await?;
        Ok(())
    }

    /// Refuses to send form `id` on while readings of its scan wait for confirmation.
    pub(crate) async fn readings_gate(&self, id: i64) -> Result<(), AppError> {
        let pending = self.pending_readings(id).await?;
        if pending.is_empty() {
            return Ok(());
        }
        let list: Vec<String> = pending
            .iter()
            .take(5)
            .map(|u| format!("{}“{}”", crate::field::label(&u.path), u.text))
            .collect();
        Err(AppError::Workflow(format!(
            "有{}处扫描识别结果待核对（{}{}）：请与原件核对、改正后点击“确认识别结果”，再送单位负责人确认",
            pending.len(),
            list.join("、"),
            if pending.len() > 5 { "等" } else { "" }
        )))
    }
}
