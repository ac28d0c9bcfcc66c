// @generated automatically by Diesel CLI.

diesel::table! {
    audit_log (id) {
        id -> Integer,
        actor_id -> Nullable<Integer>,
        actor_label -> Text,
        action -> Text,
        target -> Text,
        detail -> Text,
        ip -> Nullable<Text>,
        at -> Timestamp,
    }
}

diesel::table! {
    service_areas (id) {
        id -> Integer,
        name -> Text,
        code -> Text,
        head_of_service_id -> Nullable<Integer>,
        active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    sign_in_attempts (id) {
        id -> Integer,
        email -> Text,
        ip -> Text,
        succeeded -> Bool,
        attempted_at -> Timestamp,
    }
}

diesel::table! {
    user_service_areas (user_id, service_area_id) {
        user_id -> Integer,
        service_area_id -> Integer,
    }
}

diesel::table! {
    users (id) {
        id -> Integer,
        email -> Text,
        display_name -> Text,
        role -> Text,
        password_hash -> Text,
        must_change_password -> Bool,
        active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::joinable!(audit_log -> users (actor_id));
diesel::joinable!(service_areas -> users (head_of_service_id));
diesel::joinable!(user_service_areas -> service_areas (service_area_id));
diesel::joinable!(user_service_areas -> users (user_id));

diesel::allow_tables_to_appear_in_same_query!(
    audit_log,
    service_areas,
    sign_in_attempts,
    user_service_areas,
    users,
);
